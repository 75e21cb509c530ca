import type { OpenAPIObject } from 'openapi3-ts/oas31'

/**
 * A behaviour the seed document does not state, which the sandbox had to decide. Each is marked
 * `x-sandbox-decision` on the OpenAPI operations it concerns and listed under "Sandbox decisions"
 * in `docs/providers/<id>.md` (a test keeps both in step), so a reader can tell documented
 * behaviour from the sandbox's guesses.
 *
 * @example
 * { operations: ['post /mxapi/{merchantId}/bdpayin'], decision: 'The pay-in token is …', realProviders: 'may hash other fields' }
 */
export interface SandboxDecision {
  /** `<method> <path>` keys of the OpenAPI document (lowercase method). */
  operations: string[]
  /** What the sandbox does. */
  decision: string
  /** What the real provider may do instead, and how to adapt the sandbox (a setting) when there is one. */
  realProviders: string
}

/** The decision as one line: what the sandbox does, then what real providers may do. */
export function decisionText(d: SandboxDecision): string {
  return `${d.decision} Real providers may: ${d.realProviders}`
}

/**
 * Adds `x-sandbox-decision` to every operation a decision names (several decisions on one
 * operation are separated by a blank line) and returns the document. Throws when a decision names
 * an operation the document lacks, so the list cannot drift from the routes.
 */
export function markSandboxDecisions(doc: OpenAPIObject, decisions: readonly SandboxDecision[]): OpenAPIObject {
  for (const d of decisions)
    for (const key of d.operations) {
      const [method, path] = key.split(' ')
      const op = (doc.paths?.[path] as Record<string, Record<string, unknown>> | undefined)?.[method]
      if (!op) throw new Error(`sandbox decision names ${key}, which the OpenAPI document does not have`)
      const prior = op['x-sandbox-decision']
      op['x-sandbox-decision'] = prior ? `${prior}\n\n${decisionText(d)}` : decisionText(d)
    }
  return doc
}
