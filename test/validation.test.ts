// Config files, scenario files and merchant settings are validated with file:line and a
// suggestion for a likely typo; `check` reports every problem of every file (#15 findings 2, 3).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { configProblems } from '../src/config.js'
import { providerLookup, Scenarios } from '../src/engine/scenarios.js'
import { didYouMean } from '../src/engine/validation.js'
import { PROVIDERS } from '../src/providers/index.js'
import { createSandbox } from '../src/sandbox.js'
import { configSchema, scenarioSchema } from '../src/schemas.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'dist/cli.js')
const dir = mkdtempSync(join(tmpdir(), 'psp-validation-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir })

describe('suggestions', () => {
  it('names the likely word, and nothing when no word is close', () => {
    expect(didYouMean('ecompay', ['connecx', 'ecommpay', 'connpay'])).toBe(' (did you mean `ecommpay`?)')
    expect(didYouMean('clok', ['port', 'clock'])).toBe(' (did you mean `clock`?)')
    expect(didYouMean('banana', ['port', 'clock'])).toBe('')
  })
})

describe('config files (finding 2)', () => {
  it('an unknown key is an error with a suggestion, not a silent real clock', () => {
    const problems = configProblems({ clok: 'virtual' }, PROVIDERS)
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('unknown key `clok` (did you mean `clock`?)'),
    ])
    const path = file('clok.yaml', 'port: 0\nclok: virtual\n')
    const r = cli('--config', path)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`${path}:2: unknown key \`clok\` (did you mean \`clock\`?)`)
  })

  it('a merchant without an id, an unknown setting and a wrong type are errors naming the line', () => {
    const path = file(
      'merchants.yaml',
      'merchants:\n  payatom:\n    - webhookUrl: http://localhost:4000/cb\n  connecx:\n    - id: "1"\n      apiKee: x\n      active: "yes"\n',
    )
    const r = cli('check', path)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`${path}:3: merchants.payatom[0]: \`id\` is required`)
    expect(r.stderr).toContain(
      `${path}:6: merchants.connecx[0]: "apiKee" is not a connecx merchant setting (did you mean \`apiKey\`?)`,
    )
    expect(r.stderr).toContain(`${path}:7: merchants.connecx[0]: "active" must be a boolean, got a string`)
  })

  it('wrong types and unknown providers in a config file', () => {
    const messages = configProblems(
      { port: 'abc', clock: 'virtaul', merchants: { ecompay: [] }, journal: { maxEntry: 5 } },
      PROVIDERS,
    ).map((p) => p.message)
    expect(messages).toEqual([
      expect.stringContaining('`port` must be a whole number'),
      expect.stringContaining('`clock` must be "real" or "virtual", got "virtaul" (did you mean `virtual`?)'),
      expect.stringContaining('unknown key `journal.maxEntry` (did you mean `maxEntries`?)'),
      expect.stringContaining('unknown provider `ecompay` (did you mean `ecommpay`?)'),
    ])
  })

  it('createSandbox refuses a configured merchant without an id', () => {
    expect(() => createSandbox({ merchants: { payatom: [{ secretKey: 'x' } as never] } })).toThrow(/`id` is required/)
  })
})

describe('merchant settings on PATCH (finding 2)', () => {
  it('{"webhookUrl":5} is a 400; a URL or null is accepted', async () => {
    const sandbox = createSandbox({ clock: 'virtual' })
    try {
      const patch = (body: unknown) =>
        sandbox.fetch(
          new Request('http://localhost/_sandbox/merchants/payatom/000000000000', {
            method: 'PATCH',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
        )
      const bad = await patch({ webhookUrl: 5 })
      expect(bad.status).toBe(400)
      expect((await bad.json()).error).toBe('"webhookUrl" must be a string or null, got a number')
      const typo = await patch({ webhookUrll: 'http://x' })
      expect(typo.status).toBe(400)
      expect((await typo.json()).error).toContain('(did you mean `webhookUrl`?)')
      expect((await patch({ webhookUrl: 'http://localhost:4000/payatom' })).status).toBe(200)
      expect(sandbox.merchants.get('payatom', '000000000000')?.webhookUrl).toBe('http://localhost:4000/payatom')
      expect((await patch({ webhookUrl: null })).status).toBe(200)
    } finally {
      await sandbox.close()
    }
  })
})

describe('psp-sandbox check (finding 3)', () => {
  it('exits 2 with the usage when given nothing', () => {
    const r = cli('check')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('name the scenario or config files')
    expect(r.stderr).toContain('Usage:')
  })

  it('reports every problem of every file in a folder, with file:line, then exits 1', () => {
    const folder = join(dir, 'many')
    spawnSync('mkdir', ['-p', folder])
    writeFileSync(join(folder, 'a.yaml'), 'provider: ecompay\nrules: []\n')
    writeFileSync(
      join(folder, 'b.yaml'),
      'provider: ecommpay\nrules:\n  - match:\n      operation: salez\n    outcom: declined\n',
    )
    writeFileSync(join(folder, 'c.yaml'), 'provider: connpay\nrules:\n  - outcome: approved\n')
    const r = cli('check', folder)
    expect(r.status).toBe(1)
    const a = join(folder, 'a.yaml')
    const b = join(folder, 'b.yaml')
    expect(r.stderr).toContain(
      `${a}:1: \`provider\`: unknown provider "ecompay" (did you mean \`ecommpay\`?); known: connecx, bankconnect, payatom, ecommpay, connpay, or "*" for all`,
    )
    expect(r.stderr).toContain(
      `${b}:4: rule 1: match.operation "salez" is not an operation of this provider (did you mean \`sale\`?); the operations are sale, payout, refund`,
    )
    expect(r.stderr).toContain(`${b}:5: rule 1: unknown field \`outcom\` (did you mean \`outcome\`?)`)
    expect(r.stdout).toContain(`ok  ${join(folder, 'c.yaml')}`)
  })

  it('operation names come from the provider modules, for every provider', () => {
    const lookup = providerLookup(PROVIDERS)
    for (const p of PROVIDERS) {
      expect(p.operations.length).toBeGreaterThan(0)
      expect(lookup(p.id)).toMatchObject({ operations: p.operations })
    }
    const s = new Scenarios(lookup)
    expect(() =>
      s.add('user', { provider: 'payatom', rules: [{ match: { operation: { regex: '^payon' } } }] }),
    ).toThrow(/regex "\^payon" matches no operation; the operations are payin-hosted, payin-upi/)
    s.add('user', { provider: 'payatom', rules: [{ match: { operation: { in: ['payout', 'refund'] } } }] })
  })
})

describe('scenario amounts are major units for every provider (finding 3)', () => {
  const scenarios = () => {
    const s = new Scenarios(providerLookup(PROVIDERS))
    s.add('user', {
      provider: 'ecommpay',
      rules: [
        { name: 'over 5,000 INR', match: { operation: 'payout', amount: { gt: 5000 } }, outcome: 'declined' },
        { name: 'exactly 1,000.50 INR in minor units', match: { amountMinor: 100050 }, outcome: 'failed' },
      ],
    })
    return s
  }

  it('ECommPay (minor units on the wire): {gt: 5000} is 5,000 rupees, not 50 rupees', () => {
    const s = scenarios()
    // A 2,000 INR payout is 200000 paise on ECommPay's wire.
    expect(s.decide('ecommpay', { operation: 'payout', amount: 200_000, currency: 'INR' }).outcome).toBe('approved')
    expect(s.decide('ecommpay', { operation: 'payout', amount: 600_000, currency: 'INR' }).outcome).toBe('declined')
    expect(s.decide('ecommpay', { operation: 'sale', amount: 100_050, currency: 'INR' }).outcome).toBe('failed')
  })

  it('a major-unit provider gets amountMinor too', () => {
    const s = new Scenarios(providerLookup(PROVIDERS))
    s.add('user', { provider: 'connecx', rules: [{ match: { amountMinor: { gte: 10042 } }, outcome: 'declined' }] })
    expect(s.decide('connecx', { operation: 'payout', amount: 100.42, currency: 'USD' }).outcome).toBe('declined')
    expect(s.decide('connecx', { operation: 'payout', amount: 100.41, currency: 'USD' }).outcome).toBe('approved')
  })
})

describe('JSON Schemas', () => {
  it('schemas/ holds what the code generates (npm run schemas)', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'schemas/config.schema.json'), 'utf8'))).toEqual(configSchema(PROVIDERS))
    expect(JSON.parse(readFileSync(join(ROOT, 'schemas/scenario.schema.json'), 'utf8'))).toEqual(
      scenarioSchema(PROVIDERS),
    )
  })

  it('every built-in scenario file references the scenario schema for editor completion', () => {
    for (const name of readdirSync(join(ROOT, 'scenarios')))
      expect(readFileSync(join(ROOT, 'scenarios', name), 'utf8').split('\n')[0], name).toBe(
        '# yaml-language-server: $schema=../schemas/scenario.schema.json',
      )
  })

  it('the scenario schema lists each provider operation, as the validator does', () => {
    const schema = scenarioSchema(PROVIDERS) as { allOf: Array<{ then: unknown }> }
    const text = JSON.stringify(schema.allOf)
    for (const p of PROVIDERS) for (const op of p.operations) expect(text).toContain(`"${op}"`)
  })
})
