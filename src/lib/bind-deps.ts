/** A workflow function's arguments after its dependencies. */
type Bound<D, F> = {
  [K in keyof F]: F[K] extends (deps: D, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/**
 * A feature's API from module functions that take their dependencies first: `bindDeps(deps, { list,
 * show })` gives `{ list(...), show(...) }`. Workflows are written as plain functions of `(deps, input)`
 * (each one short, readable and testable on its own) rather than as one long closure.
 */
export function bindDeps<D, F extends Record<string, (deps: D, ...args: never[]) => unknown>>(
  deps: D,
  functions: F,
): Bound<D, F> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(functions))
    bound[name] = (...args: never[]) => (fn as (deps: D, ...rest: never[]) => unknown)(deps, ...args);
  return bound as Bound<D, F>;
}
