import { parseDuration } from './engine/duration.js'
import { merchantSettingsSchema, settingProblems } from './engine/merchants.js'
import type { Provider } from './engine/provider.js'
import { providerLookup, scenarioProblems } from './engine/scenarios.js'
import { didYouMean, formatProblems, readDataFile, type Problem } from './engine/validation.js'
import type { SandboxOptions } from './sandbox.js'

/** What a config file (`--config FILE`) may hold. */
export interface Config extends Omit<
  SandboxOptions,
  'providers' | 'onCallback' | 'builtInScenarios' | 'database' | 'databaseLease'
> {
  port?: number
  host?: string
}

const CONFIG_KEYS = [
  'port',
  'host',
  'data',
  'scenarios',
  'clock',
  'merchants',
  'callbackTimeout',
  'callbackConcurrency',
  'journal',
  'admin',
]
const ADMIN_KEYS = ['token', 'allowedHosts']
const JOURNAL_KEYS = ['maxEntries', 'maxBytes', 'maxBodyBytes']

/** A config or scenario file that does not validate; `problems` read `file:line: …`. */
export class FileProblemsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    what = 'config file',
  ) {
    super(`${file} is not a valid ${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'FileProblemsError'
  }
}

/**
 * Problems with a parsed config file: unknown keys (with a suggestion), wrong types, unknown
 * providers, merchants without an `id` or with unknown or mistyped settings.
 *
 * @example
 * configProblems({ clok: 'virtual' }, PROVIDERS) // [{ path: ['clok'], message: 'unknown key `clok` (did you mean `clock`?) …' }]
 */
export function configProblems(input: unknown, providers: readonly Provider[]): Problem[] {
  if (input === null || input === undefined) return []
  if (typeof input !== 'object' || Array.isArray(input))
    return [{ path: [], message: `a config file is an object with ${CONFIG_KEYS.join(', ')}` }]
  const problems: Problem[] = []
  const add = (path: Array<string | number>, message: string) => void problems.push({ path, message })
  const config = input as Record<string, unknown>
  for (const key of Object.keys(config))
    if (!CONFIG_KEYS.includes(key) && key !== '$schema')
      add([key], `unknown key \`${key}\`${didYouMean(key, CONFIG_KEYS)} (allowed: ${CONFIG_KEYS.join(', ')})`)
  const { port, host, data, scenarios, clock, merchants, callbackTimeout, callbackConcurrency, journal, admin } = config
  if (port !== undefined && !(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535))
    add(['port'], `\`port\` must be a whole number from 0 to 65535, got ${JSON.stringify(port)}`)
  if (host !== undefined && (typeof host !== 'string' || !host))
    add(['host'], '`host` must be an address to bind, e.g. 127.0.0.1 or 0.0.0.0')
  if (data !== undefined && (typeof data !== 'string' || !data))
    add(['data'], '`data` must be a file path, or "memory" to keep nothing')
  if (
    scenarios !== undefined &&
    typeof scenarios !== 'string' &&
    !(Array.isArray(scenarios) && scenarios.every((s) => typeof s === 'string'))
  )
    add(['scenarios'], '`scenarios` must be a file or folder path, or a list of them')
  if (clock !== undefined && clock !== 'real' && clock !== 'virtual')
    add(
      ['clock'],
      `\`clock\` must be "real" or "virtual", got ${JSON.stringify(clock)}${typeof clock === 'string' ? didYouMean(clock, ['real', 'virtual']) : ''}`,
    )
  if (callbackTimeout !== undefined) {
    try {
      parseDuration(callbackTimeout as string)
    } catch (e) {
      add(['callbackTimeout'], `\`callbackTimeout\`: ${(e as Error).message}`)
    }
  }
  if (
    callbackConcurrency !== undefined &&
    !(Number.isInteger(callbackConcurrency) && (callbackConcurrency as number) >= 1)
  )
    add(
      ['callbackConcurrency'],
      `\`callbackConcurrency\` must be a whole number of at least 1 (callback attempts in flight per merchant host; default 32), got ${JSON.stringify(callbackConcurrency)}`,
    )
  if (journal !== undefined) {
    if (typeof journal !== 'object' || journal === null || Array.isArray(journal))
      add(['journal'], `\`journal\` must be an object with ${JOURNAL_KEYS.join(', ')}`)
    else
      for (const [key, value] of Object.entries(journal)) {
        if (!JOURNAL_KEYS.includes(key))
          add(
            ['journal', key],
            `unknown key \`journal.${key}\`${didYouMean(key, JOURNAL_KEYS)} (allowed: ${JOURNAL_KEYS.join(', ')})`,
          )
        else if (!(Number.isInteger(value) && (value as number) > 0))
          add(['journal', key], `\`journal.${key}\` must be a positive whole number`)
      }
  }
  if (admin !== undefined) {
    if (typeof admin !== 'object' || admin === null || Array.isArray(admin))
      add(['admin'], `\`admin\` must be an object with ${ADMIN_KEYS.join(', ')}`)
    else
      for (const [key, value] of Object.entries(admin)) {
        if (!ADMIN_KEYS.includes(key))
          add(
            ['admin', key],
            `unknown key \`admin.${key}\`${didYouMean(key, ADMIN_KEYS)} (allowed: ${ADMIN_KEYS.join(', ')})`,
          )
        else if (key === 'token' && typeof value !== 'string')
          add(['admin', key], '`admin.token` must be text (at least 8 characters)')
        else if (key === 'allowedHosts' && !(Array.isArray(value) && value.every((h) => typeof h === 'string')))
          add(['admin', key], '`admin.allowedHosts` must be a list of host names')
      }
  }
  if (merchants !== undefined) {
    if (typeof merchants !== 'object' || merchants === null || Array.isArray(merchants))
      add(['merchants'], '`merchants` must be an object: provider id → list of merchants')
    else
      for (const [id, list] of Object.entries(merchants)) {
        const provider = providers.find((p) => p.id === id)
        const ids = providers.map((p) => p.id)
        if (!provider) {
          add(['merchants', id], `unknown provider \`${id}\`${didYouMean(id, ids)}; known: ${ids.join(', ')}`)
          continue
        }
        if (!Array.isArray(list)) {
          add(['merchants', id], `\`merchants.${id}\` must be a list of merchants, each with an \`id\``)
          continue
        }
        const schema = merchantSettingsSchema(provider.merchants[0], provider.settingsSchema)
        list.forEach((merchant, i) => {
          for (const p of settingProblems(id, schema, merchant, { requireId: true }))
            add(['merchants', id, i, ...p.path], `merchants.${id}[${i}]: ${p.message}`)
        })
      }
  }
  return problems
}

/** Reads and validates a JSON or YAML config file. Throws `FileProblemsError` naming file:line. */
export function readConfigFile(path: string, providers: readonly Provider[]): Config {
  const file = readDataFile(path)
  if ('error' in file) throw new FileProblemsError(path, [file.error])
  const problems = configProblems(file.parsed, providers)
  if (problems.length) throw new FileProblemsError(path, formatProblems(path, file.text, problems))
  return (file.parsed ?? {}) as Config
}

/**
 * Checks one file, config or scenario (a file with `provider` or `rules` is a scenario file).
 * Returns `file:line: …` problems, empty when the file is valid.
 */
export function checkFile(
  path: string,
  providers: readonly Provider[],
): { kind: 'config' | 'scenario'; problems: string[] } {
  const file = readDataFile(path)
  if ('error' in file) return { kind: 'scenario', problems: [`${path}: ${file.error}`] }
  const { text, parsed } = file
  const isScenario = typeof parsed === 'object' && parsed !== null && ('rules' in parsed || 'provider' in parsed)
  const problems = isScenario ? scenarioProblems(parsed, providerLookup(providers)) : configProblems(parsed, providers)
  return { kind: isScenario ? 'scenario' : 'config', problems: formatProblems(path, text, problems) }
}
