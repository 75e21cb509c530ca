import { OpenApiBuilder, type OpenAPIObject } from 'openapi3-ts/oas31'

/** Connecx OpenAPI 3.1 document (placeholder until the full document lands). */
export function connecxOpenApi(): OpenAPIObject {
  return OpenApiBuilder.create().addTitle('Connecx Unified Payments (psp-sandbox)').addVersion('1').getSpec()
}
