import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDuration, formatDuration } from '../../src/engine/duration.js'
import { readScenarioFile, ScenarioError, Scenarios, validateScenarioFile } from '../../src/engine/scenarios.js'
import { createSandbox } from '../../src/sandbox.js'

const natives = (id: string) => (id === 'connecx' ? ['DECLINED', 'TIMED_OUT'] : undefined)

describe('scenario validation names file, rule and field', () => {
  it('reports every problem with its rule and field', () => {
    const problems = validateScenarioFile(
      {
        provider: 'connecx',
        rules: [
          {
            name: 'bad one',
            match: { amount: { gtee: 5 }, 'request.x': { regex: '(' } },
            outcome: 'approve',
            timeline: [{ status: 'approved' }],
          },
          { respond: { fault: 'explode', latency: 'soon' }, times: 0, colour: 'red' },
        ],
      },
      natives,
    )
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rule 1 \("bad one"\): match\.amount: unknown operator `gtee`/),
        expect.stringMatching(/^rule 1 \("bad one"\): match\.request\.x\.regex is not a valid regular expression/),
        expect.stringMatching(
          /^rule 1 \("bad one"\): `outcome` is "approve" \(did you mean `approved`\?\); use one of .*approved.*DECLINED/,
        ),
        expect.stringMatching(/^rule 1 \("bad one"\): timeline\[0\]\.after is required/),
        expect.stringMatching(/^rule 2: unknown field `colour`/),
        expect.stringMatching(/^rule 2: respond\.fault is "explode"; use one of timeout, reset/),
        expect.stringMatching(/^rule 2: respond\.latency: "soon" is not a duration/),
        expect.stringMatching(/^rule 2: `times` must be a positive whole number/),
      ]),
    )
  })

  it('names the file when reading from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scn-'))
    try {
      const path = join(dir, 'mine.yaml')
      writeFileSync(path, 'provider: nowhere\nrules:\n  - match: { colour: red }\n')
      expect(() => readScenarioFile(path, natives)).toThrow(ScenarioError)
      try {
        readScenarioFile(path, natives)
      } catch (e) {
        expect((e as Error).message).toContain(`${path} is not a valid scenario file`)
        expect((e as Error).message).toContain('unknown provider "nowhere"')
        expect((e as Error).message).toContain('rule 1: match.colour: unknown fact `colour`')
      }
      writeFileSync(path, 'provider: [unclosed')
      expect(() => readScenarioFile(path, natives)).toThrow(/mine\.yaml.*cannot be read or parsed/s)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a user scenario folder with a bad file stops createSandbox with that message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scn-'))
    try {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ provider: 'connecx', rules: [{ outcome: 'nope' }] }))
      expect(() => createSandbox({ scenarios: dir })).toThrow(
        /bad\.json is not a valid scenario file:\n  - .*bad\.json:1: rule 1: `outcome` is "nope"/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('matching', () => {
  const s = new Scenarios(natives)
  s.add('built-in', {
    provider: 'connecx',
    rules: [
      { name: 'exact', match: { operation: 'payout', 'request.payInfo.bankCode': 'USD-TEST02' }, outcome: 'declined' },
      { name: 'regex', match: { reference: { regex: '^R-\\d+$' } }, outcome: 'failed' },
      { name: 'in', match: { currency: { in: ['CNY', 'EUR'] } }, outcome: 'pending' },
      { name: 'range', match: { amount: { gte: 500, lte: 600 } }, outcome: 'DECLINED' },
      { name: 'numeric string equals number', match: { 'request.accountId': 1000000009 }, outcome: 'expired' },
      { name: 'not', match: { reference: { not: { contains: 'x' } }, amount: { lt: 2 } }, outcome: 'cancelled' },
      { name: 'once', once: true, match: { reference: 'ONCE' }, outcome: 'failed' },
    ],
  })
  s.add('built-in', { provider: '*', rules: [{ name: 'star', match: { reference: 'ONCE' }, outcome: 'approved' }] })
  const d = (facts: Record<string, unknown>) =>
    s.decide('connecx', { operation: 'payin', ...facts }).rule.split(' (')[0]

  it('exact on a nested request field', () =>
    expect(d({ operation: 'payout', request: { payInfo: { bankCode: 'USD-TEST02' } } })).toBe('exact'))
  it('regex', () => expect(d({ reference: 'R-12' })).toBe('regex'))
  it('in', () => expect(d({ currency: 'EUR' })).toBe('in'))
  it('gte/lte', () => {
    expect(d({ amount: 550 })).toBe('range')
    expect(d({ amount: 601 })).toMatch(/^default/)
  })
  it('a number matches its string form', () =>
    expect(d({ request: { accountId: '1000000009' } })).toBe('numeric string equals number'))
  it('not', () => expect(d({ reference: 'abc', amount: 1 })).toBe('not'))
  it('once, then the next layer (a "*" file) takes over', () => {
    expect(d({ reference: 'ONCE' })).toBe('once')
    expect(d({ reference: 'ONCE' })).toBe('star')
  })
  it('per-test overrides come first and reset', () => {
    s.use({ provider: 'connecx', rules: [{ name: 'override', outcome: 'approved' }] })
    expect(d({ reference: 'R-1' })).toBe('override')
    s.resetOverrides()
    expect(d({ reference: 'R-1' })).toBe('regex')
  })
  it('an explicit timeline is sorted; without one the outcome comes after 2 s', () => {
    expect(s.decide('connecx', { operation: 'payin', reference: 'R-1' }).timeline).toEqual([
      { after: 2000, status: 'failed', callback: { copies: 1, signature: 'valid', delay: 0 } },
    ])
  })
})

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['14d', 14 * 86_400_000],
    ['250', 250],
  ])('%s = %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms))
  it('refuses nonsense with an example', () => expect(() => parseDuration('soon')).toThrow(/e\.g\. 500ms, 2s/))
  it('formats back', () => expect(formatDuration(90_500)).toBe('1m30s500ms'))
})
