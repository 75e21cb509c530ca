import { expect } from 'vitest'
import { PhpJsonError } from '../../src/wire/php.js'

/** Runs `f`, expects it to throw a PhpJsonError (PHP's json_encode/json_decode failing) and returns it. */
export function phpRefusal(f: () => unknown): PhpJsonError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(PhpJsonError)
    return error as PhpJsonError
  }
  throw new Error('expected a PhpJsonError')
}
