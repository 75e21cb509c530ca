import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'

/** What the loop guard knows about the sandbox it protects. */
export interface SandboxSelf {
  /** Ports the sandbox listens on (every address of this machine). */
  ports: ReadonlySet<number>
  /** `host:port` values (lower case) that reach the sandbox without a socket (msw hosts, the bound address). */
  hosts: Pick<ReadonlySet<string>, 'has'>
  /** True for a path the sandbox serves: admin (`/_sandbox`) or a provider's. */
  isSandboxPath(path: string): boolean
}

/**
 * Why a callback URL must not be called because it would reach this sandbox itself, or undefined
 * when it may be called. Callbacks may reach any other host the user names (it is a sandbox, not
 * a proxy with an allow-list); only loops are refused. The URL is normalised as `fetch` would
 * (WHATWG URL: `[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`, case, default port), its path decoded
 * (`/%5Fsandbox` → `/_sandbox`), its host resolved, and each address compared with this machine's
 * own (loopback, unspecified, every interface address): an address of this machine on a port the
 * sandbox listens on is refused whatever the path, and a sandbox path on a host the sandbox
 * answers in-process (msw) is refused too.
 *
 * Limit: the name is resolved here and again by the HTTP client; a DNS server that answers
 * differently the second time could still reach the sandbox.
 *
 * @example
 * await loopGuard('http://[::ffff:127.0.0.1]:8080/_sandbox/reset', self)
 * // 'loop guard: http://[::ffff:127.0.0.1]:8080/_sandbox/reset reaches this sandbox (127.0.0.1 port 8080) …'
 */
export async function loopGuard(url: string, self: SandboxSelf): Promise<string | undefined> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `"${url}" is not an absolute URL; the callback cannot be sent`
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `"${url}" is not an http or https URL; the callback cannot be sent`
  const refuse = (where: string) =>
    `loop guard: ${url} reaches this sandbox (${where}); the callback was not sent. Point the callback URL at your merchant listener (another port or host).`
  if (self.hosts.has(parsed.host.toLowerCase())) {
    const path = decodedPath(parsed.pathname)
    if (self.isSandboxPath(path)) return refuse(`${parsed.host} is served by this sandbox and ${path} is its own path`)
  }
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
  if (!self.ports.has(port)) return undefined
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  let addresses: string[]
  if (isIP(host)) addresses = [host]
  else {
    try {
      // node:dns/promises loads when a callback first names a host by name, not at start-up.
      const { lookup } = await import('node:dns/promises')
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
    } catch {
      return undefined // does not resolve: the delivery fails with its own message
    }
  }
  const own = addresses.map(canonicalAddress).find(isThisMachine)
  return own === undefined ? undefined : refuse(`${own} is an address of this machine, port ${port}`)
}

/** The path as the router sees it: percent-decoded (repeatedly), dot segments and `//` folded. */
export function decodedPath(pathname: string): string {
  let path = pathname
  for (let i = 0; i < 4; i++) {
    let next: string
    try {
      next = decodeURIComponent(path)
    } catch {
      break
    }
    if (next === path) break
    path = next
  }
  const out: string[] = []
  for (const segment of path.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') out.pop()
    else out.push(segment)
  }
  return `/${out.join('/')}`
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`) as IPv4; IPv6 lower-cased. */
export function canonicalAddress(address: string): string {
  const a = address.toLowerCase().replace(/%.*$/, '')
  const dotted = a.match(/^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/)
  if (dotted) return dotted[1]!
  const hex = a.match(/^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/)
  if (hex) {
    const hi = parseInt(hex[1]!, 16)
    const lo = parseInt(hex[2]!, 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  return a
}

function isThisMachine(address: string): boolean {
  if (/^127\./.test(address) || address === '0.0.0.0') return true
  if (isIP(address) === 6 && /^(0{0,4}:){2,7}0{0,3}[01]$|^::[01]?$/.test(address)) return true // :: and ::1
  for (const list of Object.values(networkInterfaces()))
    for (const info of list ?? []) if (canonicalAddress(info.address) === address) return true
  return false
}
