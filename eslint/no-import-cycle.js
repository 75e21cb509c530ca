// A local ESLint rule: no import cycle through relative imports, type-only imports included.
//
// Why not only `import-x/no-cycle`: it skips `import type` by design (a type-only cycle costs
// nothing at run time), but in this project a type-only cycle is still a design cycle (the engine
// naming a provider's types, a provider naming the whole Engine). import-x/no-cycle stays on for
// its better messages about value imports; this rule adds the type-only half.
import { readFileSync, existsSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'

/** Imports per file, read once per ESLint run (a long-lived editor server sees edits after a restart). */
const cache = new Map()

const IMPORT = /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/g

/** Relative imports of a file, resolved to .ts paths. */
function importsOf(file, cache) {
  let list = cache.get(file)
  if (list) return list
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    /* unreadable: no imports */
  }
  list = []
  for (const m of text.matchAll(IMPORT)) {
    const target = resolveTs(resolve(dirname(file), m[1]))
    if (target) list.push(target)
  }
  cache.set(file, list)
  return list
}

function resolveTs(path) {
  for (const candidate of [path.replace(/\.js$/, '.ts'), `${path}.ts`, `${path}/index.ts`, path])
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate
  return undefined
}

/** A path of imports from `start` back to `start`, or undefined. */
function cycleFrom(start, cache) {
  const seen = new Set()
  const stack = [[start, [start]]]
  while (stack.length) {
    const [file, route] = stack.pop()
    for (const next of importsOf(file, cache)) {
      if (next === start) return route
      if (seen.has(next)) continue
      seen.add(next)
      stack.push([next, [...route, next]])
    }
  }
  return undefined
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'forbid import cycles between source files, type-only imports included' },
    schema: [],
    messages: { cycle: 'import cycle: {{route}}; move the shared piece into a module both can import' },
  },
  create(context) {
    const file = context.filename
    return {
      Program(node) {
        const route = cycleFrom(file, cache)
        if (route)
          context.report({
            node,
            messageId: 'cycle',
            data: { route: [...route, file].map((f) => relative(process.cwd(), f)).join(' → ') },
          })
      },
    }
  },
}
