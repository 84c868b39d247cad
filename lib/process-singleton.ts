/**
 * One instance per process, even when the bundler gives different routes their own copies of a module: two
 * embedded databases open on one directory would corrupt it.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const registry = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`keybridge.${name}`);
  return (registry[key] ??= create());
}
