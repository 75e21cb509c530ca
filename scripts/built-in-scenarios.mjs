// Part of `npm run build`: parses the built-in scenario files (scenarios/*.yaml) once, at build
// time, into dist/built-in-scenarios.json, so a starting sandbox reads JSON instead of loading
// the YAML parser and parsing ~20 KB of YAML (the largest start-up cost it had). Each entry keeps
// the SHA-256 of the text it was parsed from: a file changed since the build is parsed as YAML.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const folder = join(root, 'scenarios')
const out = join(root, 'dist', 'built-in-scenarios.json')
const cache = {}
if (existsSync(folder))
  for (const name of readdirSync(folder).sort()) {
    if (!['.yaml', '.yml'].includes(extname(name))) continue
    const text = readFileSync(join(folder, name), 'utf8')
    cache[name] = { sha256: createHash('sha256').update(text).digest('hex'), parsed: parse(text) }
  }
writeFileSync(out, `${JSON.stringify(cache)}\n`)
