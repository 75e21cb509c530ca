/** One side (pay-in or pay-out) of a channel's specification, as the channel-specs API shows it. */
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
  /** Every currency the channel accepts: its specs' currency. */
  currencies: string[]
  /**
   * Currencies the seed's own samples send on this channel although its specs say otherwise
   * (the pay-in sample sends USD on CHNL-101); accepted only when the merchant relaxes
   * `channel-currency`.
   */
  sampleCurrencies?: string[]
  /** The bank-codes API's flags when the seed's sample states them (they differ from the specs'). */
  bankCodeFlags?: { payinBankCodeRequired: boolean; payoutBankCodeRequired: boolean }
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
 * The sandbox's channels. `USDMOCK-001` answers exactly the seed's samples: channel specs
 * (seed 004 l.474–544) and bank codes (l.380–409), although the two disagree on whether a pay-in
 * needs a bank code (specs `bankCodeRequired: false`, bank codes `payinBankCodeRequired: true`);
 * pay-ins are validated by the specs. Pay-outs require `bankAccountName` as the specs say, so the
 * seed's own pay-out sample (which sends none) is refused unless the merchant relaxes
 * `required-pay-info`. `CHNL-101` is a sandbox decision (CNY, one bank `CHTTST01`).
 */
export const CHANNELS: Record<string, Channel> = {
  'USDMOCK-001': {
    channelCode: 'USDMOCK-001',
    currency: 'USD',
    currencies: ['USD'],
    banks: [1, 2, 3, 4, 5].map((n) => ({ bankCode: `USD-TEST0${n}`, bankName: `Test Bank 0${n}` })),
    bankCodeFlags: { payinBankCodeRequired: true, payoutBankCodeRequired: true },
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
      requiredPayInfo: [
        field('bankCode', 'Bank Code'),
        field('bankAccountNumber', 'Bank Account Number'),
        field('bankAccountName', 'Bank Account Name'),
      ],
      validateBankCode: true,
      bankCodeRequired: true,
    },
  },
  'CHNL-101': {
    channelCode: 'CHNL-101',
    currency: 'CNY',
    currencies: ['CNY'],
    sampleCurrencies: ['USD'],
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

/** The bank-codes answer (seed 004 l.380–409), key order as the sample. */
export function bankCodesBody(channel: Channel): Record<string, unknown> {
  return {
    channelCode: channel.channelCode,
    supportedCurrency: channel.currency,
    payinBankCodeRequired: channel.bankCodeFlags?.payinBankCodeRequired ?? channel.payinSpecs.bankCodeRequired,
    payoutBankCodeRequired: channel.bankCodeFlags?.payoutBankCodeRequired ?? channel.payoutSpecs.bankCodeRequired,
    message: null,
    banks: channel.banks,
  }
}

/**
 * Connecx seed rules a merchant may relax (`relaxedRules`), each with where the rule is stated.
 * The sandbox enforces all of them by default.
 */
export const SEED_RULES = {
  'token-exact': 'seed 004 l.14: the token is the hex-encoded SHA-256 of the listed values, compared exactly',
  'required-pay-info': "seed 004 l.48, l.527–540: payInfo carries every field of the channel's requiredPayInfo",
  'channel-currency': "seed 004 l.41, l.474–478: a channel takes its specs' currency",
} as const

export type SeedRule = keyof typeof SEED_RULES
