import { createContext, Script } from 'node:vm';
import type { TimeBoundRunner } from '@baton-engine/engine';

/**
 * Runs an evaluation inside `vm` with a timeout: V8 stops whatever JavaScript runs once the time is up,
 * also the functions of this realm the script calls (feelin's interpreter), and the call throws
 * ERR_SCRIPT_EXECUTION_TIMEOUT. One context and one compiled script serve every call.
 */
export function vmTimeBoundRunner(): TimeBoundRunner {
  const sandbox: { evaluate?: () => unknown } = {};
  const context = createContext(sandbox);
  const script = new Script('evaluate()');
  return <T>(evaluate: () => T, timeoutMs: number): T => {
    sandbox.evaluate = evaluate;
    try {
      return script.runInContext(context, { timeout: timeoutMs }) as T;
    } finally {
      sandbox.evaluate = undefined;
    }
  };
}
