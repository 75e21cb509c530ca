// Made-up data comes from @faker-js/faker, seeded from the transaction (#15 finding 6).
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { fake, loadFakeLocales } from '../src/engine/fake.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
beforeAll(() => loadFakeLocales(['en_IN']))

describe('fake(): seeded, realistic, per locale', () => {
  it('the same seed gives the same values, whatever was generated before', () => {
    const a = fake('en_IN', 'payatom:tx-1')
    const first = [a.fullName(), a.upiHandle(), a.digits(12), a.descriptor()]
    fake('en_IN', 'payatom:tx-2').fullName()
    const b = fake('en_IN', 'payatom:tx-1')
    expect([b.descriptor(), b.digits(12), b.upiHandle(), b.fullName()].reverse()).toEqual(first)
    expect(fake('en_IN', 'payatom:tx-2').fullName()).not.toBe(first[0])
  })

  it('values look like the real thing', () => {
    for (let i = 0; i < 20; i++) {
      const f = fake('en_IN', `seed-${i}`)
      expect(f.fullName()).toMatch(/^\S+( \S+)+$/)
      expect(f.upiHandle()).toMatch(/^[a-z0-9.]+@(okaxis|okhdfcbank|okicici|oksbi|ybl|ibl|axl|paytm|apl)$/)
      expect(f.digits(12)).toMatch(/^[1-9]\d{11}$/)
      expect(f.descriptor().length).toBeLessThanOrEqual(22)
    }
  })

  it('the same values in another process (across runs and restarts)', () => {
    const script = `import { fake, loadFakeLocales } from './dist/engine/fake.js'
await loadFakeLocales(['en_IN'])
const f = fake('en_IN', 'payatom:tx-1')
console.log(JSON.stringify([f.fullName(), f.upiHandle(), f.digits(12)]))`
    const run = () =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }).stdout
    const here = fake('en_IN', 'payatom:tx-1')
    expect(JSON.parse(run())).toEqual([here.fullName(), here.upiHandle(), here.digits(12)])
  })

  it('a locale that was not loaded is an error that says what to do', () => {
    expect(() => fake('de', 'x')).toThrow(/declare it as the provider's fakeLocale/)
  })

  it('faker is imported per locale and lazily: no module imports it statically', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]))
    for (const file of files(join(ROOT, 'src')).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(file, 'utf8')
      expect(text, file).not.toMatch(/^import (?!type)[^\n]*'@faker-js\/faker/m)
    }
  })
})
