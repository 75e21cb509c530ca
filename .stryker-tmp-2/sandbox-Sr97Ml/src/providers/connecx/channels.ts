/** One side (pay-in or pay-out) of a channel's specification, as the channel-specs API shows it. */
// @ts-nocheck

export interface ChannelSide {
  enabled: boolean
  minTxnAmount: number
  maxTxnAmount: number
  requiredEndUserInfo: Array<{ fieldName: string; description: string }>
  requiredPayInfo: Array<{ fieldName: string; description: string }> | null
  validateBankCode: boolean
  bankCodeRequired: boolean
}

export interface Channel {
  channelCode: string
  /** The channel's currency, as the specs and bank-codes APIs show it. */
  currency: string
  /** Every currency the channel accepts (the seed's pay-in sample sends USD on CHNL-101). */
  currencies: string[]
  banks: Array<{ bankCode: string; bankName: string }>
  payinSpecs: ChannelSide
  payoutSpecs: ChannelSide
}

const field = (fieldName: string, description: string) => ({ fieldName, description })
const PERSON = [
  field('firstName', 'First Name'),
  field('lastName', 'Last Name'),
  field('emailAddress', 'Email Address'),
  field('phoneNumber', 'Phone Number'),
]

/**
 * The sandbox's channels (sandbox contract). `USDMOCK-001` follows the seed's channel-specs
 * sample, except that pay-outs require only `bankCode` and `bankAccountNumber`: the seed's own
 * pay-out sample sends no `bankAccountName`, and that sample must be accepted.
 */
export const CHANNELS: Record<string, Channel> = {
  'USDMOCK-001': {
    channelCode: 'USDMOCK-001',
    currency: 'USD',
    currencies: ['USD'],
    banks: [1, 2, 3, 4, 5].map((n) => ({ bankCode: `USD-TEST0${n}`, bankName: `Test Bank 0${n}` })),
    payinSpecs: {
      enabled: true,
      minTxnAmount: 1,
      maxTxnAmount: 1000,
      requiredEndUserInfo: PERSON,
      requiredPayInfo: null,
      validateBankCode: false,
      bankCodeRequired: false,
    },
    payoutSpecs: {
      enabled: true,
      minTxnAmount: 1,
      maxTxnAmount: 1000,
      requiredEndUserInfo: PERSON,
      requiredPayInfo: [field('bankCode', 'Bank Code'), field('bankAccountNumber', 'Bank Account Number')],
      validateBankCode: true,
      bankCodeRequired: true,
    },
  },
  'CHNL-101': {
    channelCode: 'CHNL-101',
    currency: 'CNY',
    currencies: ['CNY', 'USD'],
    banks: [{ bankCode: 'CHTTST01', bankName: 'China Test Bank 01' }],
    payinSpecs: {
      enabled: true,
      minTxnAmount: 1,
      maxTxnAmount: 50000,
      requiredEndUserInfo: PERSON,
      requiredPayInfo: [field('bankCode', 'Bank Code')],
      validateBankCode: true,
      bankCodeRequired: true,
    },
    payoutSpecs: {
      enabled: true,
      minTxnAmount: 1,
      maxTxnAmount: 50000,
      requiredEndUserInfo: PERSON,
      requiredPayInfo: [
        field('bankCode', 'Bank Code'),
        field('bankAccountNumber', 'Bank Account Number'),
        field('bankAccountName', 'Bank Account Name'),
      ],
      validateBankCode: true,
      bankCodeRequired: true,
    },
  },
}
