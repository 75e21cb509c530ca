/**
 * Realistic made-up data (payer names, UPI handles, bank references, descriptors) from
 * `@faker-js/faker`, seeded from a transaction: the same seed gives the same data in every run
 * and after a restart, whatever else was generated before. Provider-neutral: a provider names
 * the locale its customers live in (`Provider.fakeLocale`, e.g. `en_IN`) and asks for values by
 * seed; the engine declares the locales its providers name.
 *
 * Cost model: a declared locale is imported on its own (`@faker-js/faker/locale/en_IN`, tens of
 * milliseconds once per process) the first time a value is asked of it, so neither start-up nor a
 * sandbox that never makes up a payer pays for faker. `loadFakeLocales` imports ahead of time.
 * Every value re-seeds the shared instance, which is cheap (a Mersenne Twister seeding) and keeps
 * values independent of call order.
 *
 * @example
 * declareFakeLocales(['en_IN'])
 * const payer = fake('en_IN', 'payatom:tx_01H…')
 * payer.fullName()   // 'Rageshwari Embranthiri' (always, for this seed)
 * payer.upiHandle()  // 'rageshwari.embranthiri@oksbi'
 * payer.digits(12)   // '301335462806'
 */
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import type { Faker } from '@faker-js/faker'

const loaded = new Map<string, Faker>()
const declared = new Set<string>()
const loading = new Map<string, Promise<void>>()
const require = createRequire(import.meta.url)

/** Lets `fake()` load these faker locales on first use (each once per process); imports nothing. */
export function declareFakeLocales(locales: Iterable<string>): void {
  for (const locale of locales) {
    if (!/^[a-z]{2,3}(_[A-Za-z]{2,4})*$/.test(locale)) throw new Error(`"${locale}" is not a faker locale id`)
    declared.add(locale)
  }
}

/** Declares and imports the named faker locales now (each once per process). */
export function loadFakeLocales(locales: Iterable<string>): Promise<void> {
  const wanted = [...new Set(locales)]
  declareFakeLocales(wanted)
  return Promise.all(
    wanted
      .filter((l) => !loaded.has(l))
      .map((locale) => {
        let pending = loading.get(locale)
        if (!pending) {
          pending = import(`@faker-js/faker/locale/${locale}`).then(
            (m: { faker: Faker }) => void loaded.set(locale, m.faker),
          )
          loading.set(locale, pending)
        }
        return pending
      }),
  ).then(() => undefined)
}

/** The faker instance of a declared locale, imported synchronously on first use. */
function localeFaker(locale: string): Faker {
  let faker = loaded.get(locale)
  if (faker) return faker
  if (!declared.has(locale))
    throw new Error(
      `faker locale "${locale}" is not loaded: declare it as the provider's fakeLocale (the engine declares it)`,
    )
  faker = (require(`@faker-js/faker/locale/${locale}`) as { faker: Faker }).faker
  loaded.set(locale, faker)
  return faker
}

/** UPI handles of the large Indian payment apps (the part after `@`). */
const UPI_SUFFIXES = ['okaxis', 'okhdfcbank', 'okicici', 'oksbi', 'ybl', 'ibl', 'axl', 'paytm', 'apl']

/** Values for one seed; each method gives the same answer for the same seed. */
export interface SeededFake {
  /** A person's full name in the locale, e.g. `Rageshwari Embranthiri`. */
  fullName(): string
  /** A UPI virtual payment address made from the name, e.g. `rageshwari.embranthiri@oksbi`. */
  upiHandle(): string
  /** `length` digits, the first not 0 (UTRs, bank references). */
  digits(length: number): string
  /** A bank statement descriptor: a company name in capitals, at most `max` characters. */
  descriptor(max?: number): string
}

/**
 * Seeded values in a declared locale (imported on first use). Throws when the locale was not
 * declared, which means a provider did not name it in `fakeLocale`.
 */
export function fake(locale: string, seed: string): SeededFake {
  const faker = localeFaker(locale)
  const seeded = (purpose: string) => {
    faker.seed(seedNumber(`${purpose}:${seed}`))
    return faker
  }
  const name = () => {
    const f = seeded('name')
    return { first: f.person.firstName(), last: f.person.lastName() }
  }
  return {
    fullName: () => {
      const { first, last } = name()
      return `${first} ${last}`
    },
    upiHandle: () => {
      const { first, last } = name()
      const local = `${first}.${last}`.toLowerCase().replace(/[^a-z0-9.]/g, '')
      return `${local || 'customer'}@${seeded('upi').helpers.arrayElement(UPI_SUFFIXES)}`
    },
    digits: (length) => seeded(`digits${length}`).string.numeric({ length, allowLeadingZeros: false }),
    descriptor: (max = 22) =>
      seeded('descriptor')
        .company.name()
        .toUpperCase()
        .replace(/[^A-Z0-9 &.-]/g, '')
        .slice(0, max)
        .trim(),
  }
}

/** A 32-bit seed from text (sha256), so seeds spread evenly. */
function seedNumber(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0)
}
