import type { Provider } from '../engine/provider.js'
import { connecx } from './connecx/index.js'

/** Every provider module the sandbox serves, by id. */
export const PROVIDERS: Provider[] = [connecx]

export { connecx }
