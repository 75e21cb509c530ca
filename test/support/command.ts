import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The real `psp-sandbox` command (dist/cli.js, built by the global setup). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

export interface RunningCommand {
  url: string
  child: ChildProcess
  /** Everything it printed so far, stdout and stderr. */
  output: () => string
}

/**
 * Starts `psp-sandbox --port 0 --data <dir>/db.json …args` in a child process; resolves with its
 * base URL once it says it is listening, rejects with its output if it exits first. `cleanup`
 * receives a function that SIGKILLs it if it still runs (call it after the test).
 *
 * @example
 * const run = await startCommand(dir, ['--clock', 'virtual'], (kill) => cleanups.push(kill))
 */
export async function startCommand(
  dir: string,
  args: string[],
  cleanup: (kill: () => void) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningCommand> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--data', join(dir, 'db.json'), ...args], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.stderr!.on('data', (d) => (out += d))
    child.once('exit', (code, signal) =>
      reject(new Error(`psp-sandbox exited (${code ?? signal}) before listening:\n${out}`)),
    )
  })
  return { url, child, output: () => out }
}
