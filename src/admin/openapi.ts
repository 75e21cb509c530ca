import { OpenApiBuilder, type OpenAPIObject } from 'openapi3-ts/oas31'

/** The admin API's OpenAPI 3.1 document (placeholder until the full document lands). */
export function adminOpenApi(): OpenAPIObject {
  return OpenApiBuilder.create().addTitle('psp-sandbox admin API').addVersion('1').getSpec()
}
