// The modules `npm run mutate` mutates, each with the test files that exercise it. Shared by
// stryker.config.mjs and vitest.mutate.config.ts: with MUTATE_MODULE=<name> set, Stryker mutates
// only that module's files and vitest runs only its tests, so a wire module never waits for the
// end-to-end suites. Globs, not file names, so the list survives moves (src/wire/oauth1/, a split
// ecommpay crypto, src/engine/store/…). See docs/testing.md.

/** @typedef {{ mutate: string[], tests: string[] }} MutationModule */

/** @param {string} id @param {string[]} files */
const provider = (id, files) => files.map((f) => `src/providers/${id}/${f}`)

/** @type {Record<string, MutationModule>} */
export const mutationModules = {
  // src/wire: generic protocols every provider builds on.
  'wire-limits': {
    mutate: ['src/wire/compare.ts', 'src/wire/limits.ts', 'src/wire/nginx.ts'],
    tests: ['test/wire/limits.test.ts'],
  },
  'wire-php': {
    mutate: ['src/wire/php.ts', 'src/wire/php/**/*.ts'],
    tests: ['test/wire/php*.test.ts'],
  },
  // OAuth 1.0a in two halves (about 550 and 600 mutants): encoding, header, base string, signing…
  'wire-oauth1': {
    mutate: [
      'src/wire/oauth1/encode.ts',
      'src/wire/oauth1/header.ts',
      'src/wire/oauth1/base-string.ts',
      'src/wire/oauth1/sign.ts',
      'src/wire/oauth1/index.ts',
    ],
    tests: ['test/wire/oauth1*.test.ts', 'test/connpay/crypto.test.ts', 'test/connpay/wire.test.ts'],
  },
  // …and verification with its diagnosis of client mistakes (every other file under oauth1/).
  'wire-oauth1-verify': {
    mutate: [
      'src/wire/oauth1/**/*.ts',
      '!src/wire/oauth1/encode.ts',
      '!src/wire/oauth1/header.ts',
      '!src/wire/oauth1/base-string.ts',
      '!src/wire/oauth1/sign.ts',
      '!src/wire/oauth1/index.ts',
    ],
    tests: ['test/wire/oauth1*.test.ts', 'test/connpay/crypto.test.ts', 'test/connpay/wire.test.ts'],
  },
  // Each provider's signatures and encryption.
  'crypto-connpay': {
    mutate: provider('connpay', ['crypto.ts', 'crypto/**/*.ts']),
    tests: ['test/connpay/crypto.test.ts', 'test/connpay/wire.test.ts'],
  },
  'crypto-connecx': {
    mutate: provider('connecx', ['crypto.ts', 'crypto/**/*.ts']),
    tests: ['test/connecx/vectors.test.ts', 'test/connecx/crypto.test.ts'],
  },
  'crypto-payatom': {
    mutate: provider('payatom', ['crypto.ts', 'crypto/**/*.ts']),
    tests: ['test/payatom/crypto*.test.ts', 'test/payatom/webhooks.test.ts'],
  },
  'crypto-bankconnect': {
    mutate: provider('bankconnect', ['crypto.ts', 'crypto/**/*.ts']),
    tests: ['test/bankconnect/crypto*.test.ts'],
  },
  'crypto-ecommpay': {
    // kit2 may split crypto.ts into signature and Payment Page URL files: crypto*.ts, signature*.ts.
    mutate: provider('ecommpay', ['crypto*.ts', 'crypto/**/*.ts', 'signature*.ts', 'payment-page-url.ts']),
    tests: [
      'test/ecommpay/crypto.test.ts',
      'test/ecommpay/signature-*.test.ts',
      'test/ecommpay/sdk.test.ts',
      'test/ecommpay/client.test.ts',
    ],
  },
  // Each provider's callback bodies and acknowledgement rules.
  callbacks: {
    mutate: ['src/providers/*/callbacks.ts'],
    tests: [
      'test/*/callbacks.test.ts',
      'test/engine/callback-wire.test.ts',
      'test/engine/delivery-rules.test.ts',
      'test/payatom/webhooks.test.ts',
    ],
  },
  // Each provider's request parsing and answer rendering: the API suites exercise them (slow). The
  // provider's direct wire tests come first: vitest.mutate.config.ts runs the files in the order
  // listed, and a mutant they kill stops there.
  'wire-connpay': {
    mutate: provider('connpay', ['wire.ts']),
    tests: ['test/connpay/wire.test.ts', 'test/connpay/*.test.ts'],
  },
  'wire-connecx': {
    mutate: provider('connecx', ['wire.ts']),
    tests: ['test/connecx/wire.test.ts', 'test/connecx/*.test.ts'],
  },
  'wire-payatom': {
    mutate: provider('payatom', ['wire.ts']),
    tests: ['test/payatom/wire.test.ts', 'test/payatom/*.test.ts'],
  },
  'wire-bankconnect': {
    mutate: provider('bankconnect', ['wire.ts']),
    tests: ['test/bankconnect/wire.test.ts', 'test/bankconnect/*.test.ts'],
  },
  'wire-ecommpay': {
    mutate: provider('ecommpay', ['wire.ts']),
    tests: [
      'test/ecommpay/wire.test.ts',
      'test/ecommpay/callbacks.test.ts',
      'test/ecommpay/clarification.test.ts',
      'test/ecommpay/client.test.ts',
      'test/ecommpay/crypto.test.ts',
      'test/ecommpay/customer.test.ts',
      'test/ecommpay/gate.test.ts',
      'test/ecommpay/page.test.ts',
      'test/ecommpay/sdk.test.ts',
    ],
  },
  // The engine: time, state, delivery.
  'engine-clock': {
    mutate: ['src/engine/clock.ts'],
    tests: ['test/engine/clock*.test.ts', 'test/engine/time.test.ts'],
  },
  'engine-transactions': {
    mutate: ['src/engine/transactions.ts'],
    // Retention drops pruned transactions from the lookups; time.test.ts resumes steps after a restart.
    tests: ['test/engine/transactions.test.ts', 'test/engine/store-retention.test.ts', 'test/engine/time.test.ts'],
  },
  'engine-callbacks': {
    mutate: ['src/engine/callbacks.ts', 'src/engine/delivery.ts'],
    tests: [
      'test/engine/callbacks*.test.ts',
      'test/engine/callback-wire.test.ts',
      'test/engine/delivery*.test.ts',
      'test/engine/time.test.ts',
    ],
  },
  'engine-store': {
    // The PostgreSQL store needs a database (test/pg/): not part of this module.
    mutate: ['src/engine/store*.ts', 'src/engine/store/**/*.ts', '!src/engine/store-postgres*.ts'],
    tests: ['test/engine/store*.test.ts'],
  },
}

/**
 * A glob of this file as a regular expression: `*` within a path part, a `**` directory part for
 * any directories (a leading `!` is the caller's business).
 * @example globPattern('test/wire/php*.test.ts').test('test/wire/php-json.test.ts') // true
 * @param {string} glob
 * @returns {RegExp}
 */
export function globPattern(glob) {
  return new RegExp(
    '^' +
      glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\0')
        .replace(/\*/g, '[^/]*')
        .replace(/\0/g, '(?:.*/)?') +
      '$',
  )
}

/**
 * The module MUTATE_MODULE names, or undefined when it is not set.
 * @example selectedMutationModule({ MUTATE_MODULE: 'wire-php' })?.mutate // ['src/wire/php.ts', …]
 * @param {Record<string, string | undefined>} env
 * @returns {MutationModule | undefined}
 */
export function selectedMutationModule(env) {
  const name = env.MUTATE_MODULE
  if (!name) return undefined
  const module = mutationModules[name]
  if (!module) {
    throw new Error(
      `MUTATE_MODULE=${name} is not a mutation module; use one of: ${Object.keys(mutationModules).join(', ')}`,
    )
  }
  return module
}
