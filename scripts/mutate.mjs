#!/usr/bin/env node
// `npm run mutate [-- <module>… | --list] [-- <stryker options>]`: runs StrykerJS on each listed
// mutation module (mutate.modules.mjs) in turn, one process at a time and under `nice`, then
// prints the score per module and per file from the JSON reports in reports/mutation/.
//   npm run mutate                         every module (hours on 2 shared cores)
//   npm run mutate -- wire-php             one module; incremental, so a rerun is cheap
//   npm run mutate -- wire-php --concurrency 2
//   npm run mutate -- engine-store --fast   modules stay loaded between mutants; static mutants ignored
//   npm run mutate -- --report             only print the table from the last reports
//   npm run mutate -- wire-php --survivors  print the table and every surviving mutant's line
//   npm run mutate -- --mutate src/wire/php.ts:590-700   part of a file, in the module that owns it
//   npm run mutate -- engine-store --recheck  run again, without --fast, every mutant the last run
//                                             did not kill (survived, not covered, or ignored static)
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { globPattern, mutationModules } from '../mutate.modules.mjs'

const args = process.argv.slice(2)
const ownFlags = ['--report', '--list', '--survivors', '--fast', '--recheck']
// A bare word is a module name unless it is the value of a Stryker option (`--concurrency 2`).
const isName = (a, i) =>
  !a.startsWith('-') && (i === 0 || !args[i - 1].startsWith('--') || ownFlags.includes(args[i - 1]))
const names = args.filter(isName)
const strykerArgs = args.filter((a, i) => !isName(a, i) && !ownFlags.includes(a))

if (args.includes('--list')) {
  for (const [name, m] of Object.entries(mutationModules)) console.log(`${name.padEnd(20)} ${m.mutate.join(' ')}`)
  process.exit(0)
}
for (const name of names) {
  if (!mutationModules[name]) {
    console.error(`"${name}" is not a mutation module. Known: ${Object.keys(mutationModules).join(', ')}`)
    process.exit(2)
  }
}
// Minimal glob match for the patterns in mutate.modules.mjs: `*`, a `**` directory part, a leading `!`.
const globMatches = (glob, path) => globPattern(glob).test(path)
const moduleMutates = (m, path) =>
  m.mutate.some((g) => !g.startsWith('!') && globMatches(g, path)) &&
  !m.mutate.some((g) => g.startsWith('!') && globMatches(g.slice(1), path))

// `npm run mutate -- --mutate src/wire/php.ts[:10-20]` without a module name: the module(s) that
// mutate that file, so their tests and incremental file are used.
const mutateOption = args[args.indexOf('--mutate') + 1]
const byFile =
  names.length === 0 && args.includes('--mutate') && mutateOption
    ? Object.keys(mutationModules).filter((n) =>
        mutateOption.split(',').some((f) => moduleMutates(mutationModules[n], f.replace(/:[\d:-]+$/, ''))),
      )
    : []
const selected = names.length > 0 ? names : byFile.length > 0 ? byFile : Object.keys(mutationModules)

if (args.includes('--recheck') && args.includes('--fast')) {
  console.error('--recheck runs the mutants a --fast run did not kill without --fast: give one of the two')
  process.exit(2)
}

/**
 * `--recheck`: forgets, in the module's incremental file, every result but a kill, so the next run
 * tests those mutants again (and static ones, which --fast leaves out) with a fresh module graph
 * per test file, where a plain rerun would reuse them as they are.
 */
function forgetUnkilled(name) {
  const file = `reports/incremental/${name}.json`
  if (!existsSync(file)) return
  const report = JSON.parse(readFileSync(file, 'utf8'))
  let forgotten = 0
  for (const entry of Object.values(report.files)) {
    const kept = entry.mutants.filter((m) => m.status === 'Killed' || m.status === 'Timeout')
    forgotten += entry.mutants.length - kept.length
    entry.mutants = kept
  }
  writeFileSync(file, JSON.stringify(report))
  console.log(`${name}: ${forgotten} mutants not killed last time are tested again`)
}

if (!args.includes('--report') && !args.includes('--survivors')) {
  for (const name of selected) {
    console.log(`\n=== ${name} ===`)
    if (args.includes('--recheck')) forgetUnkilled(args.includes('--mutate') ? `${name}-partial` : name)
    const run = spawnSync('nice', ['-n', '10', 'npx', 'stryker', 'run', ...strykerArgs], {
      stdio: 'inherit',
      env: {
        ...process.env,
        MUTATE_MODULE: name,
        MUTATE_RUN_NAME: args.includes('--mutate') ? `${name}-partial` : name,
        PSP_SANDBOX_SKIP_BUILD: '1',
        ...(args.includes('--fast') ? { MUTATE_FAST: '1' } : {}),
      },
    })
    if (run.status !== 0) {
      console.error(`stryker failed on ${name} (exit ${run.status})`)
      process.exit(run.status ?? 1)
    }
  }
}

// mutation-testing-report-schema: score = detected / (detected + undetected), where detected is
// killed + timeout and undetected is survived + no coverage. Compile and runtime errors and
// ignored mutants do not count.
const rows = []
for (const name of selected) {
  const partial = `reports/mutation/${name}-partial.json`
  const file = args.includes('--mutate') && existsSync(partial) ? partial : `reports/mutation/${name}.json`
  if (!existsSync(file)) continue
  const report = JSON.parse(readFileSync(file, 'utf8'))
  for (const [path, { mutants, source }] of Object.entries(report.files)) {
    if (args.includes('--survivors')) {
      const lines = source.split('\n')
      for (const m of mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')) {
        const { line, column } = m.location.start
        const code = lines[line - 1].trim().slice(0, 110)
        console.log(
          `${m.status} ${path}:${line}:${column} ${m.mutatorName} ${JSON.stringify(m.replacement)}\n    ${code}`,
        )
      }
    }
    const count = (status) => mutants.filter((m) => m.status === status).length
    const row = {
      module: name,
      file: path,
      mutants: mutants.length,
      killed: count('Killed'),
      survived: count('Survived'),
      noCoverage: count('NoCoverage'),
      timeout: count('Timeout'),
    }
    const valid = row.killed + row.timeout + row.survived + row.noCoverage
    row.score = valid === 0 ? 'n/a' : (((row.killed + row.timeout) / valid) * 100).toFixed(1)
    rows.push(row)
  }
}
if (rows.length === 0) {
  console.log('no reports yet in reports/mutation/')
} else {
  const header = ['module', 'file', 'mutants', 'killed', 'survived', 'noCoverage', 'timeout', 'score']
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`)
  for (const r of rows) console.log(`| ${header.map((h) => r[h]).join(' | ')} |`)
}
