/**
 * PayAtom rules the sandbox enforces by default, each with where it is stated. A merchant may
 * relax one with `relaxedRules` (PATCH /_sandbox/merchants/payatom/{pid}).
 */
export const SEED_RULES = {
  'order_id-min-length':
    'seed 001 l.59: order_id at least 10 characters long (the seed\'s own example sends "20"; the rule wins)',
  'payout-order_id-format': 'PayAtom payout docs: order_id 10 or more alphanumeric characters',
} as const
