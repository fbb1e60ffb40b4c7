/**
 * What modules hand to the modules registered after them (a running service, a shared log),
 * by typed key: the way a service built on the sandbox reaches the sandbox without importing
 * its internals or starting a second one.
 */

/** A typed name under which one module provides a value. */
export interface ProvisionKey<T> {
  readonly name: string;
  /** Never set: carries the value's type. */
  readonly type?: T;
}

/**
 * Makes a key; export it from the providing module's `index.ts`.
 *
 * @example
 * export const SANDBOX_SERVICE = provisionKey<SandboxService>('sandbox.service');
 */
export function provisionKey<T>(name: string): ProvisionKey<T> {
  return { name };
}

/** The values provided so far, by key name. */
export class Provisions {
  private readonly values = new Map<string, unknown>();

  /**
   * Provides `value` under `key`; a key is provided once.
   *
   * @example
   * ctx.provisions.provide(SANDBOX_SERVICE, sandbox.service);
   */
  provide<T>(key: ProvisionKey<T>, value: T): void {
    if (this.values.has(key.name)) throw new Error(`"${key.name}" is already provided`);
    this.values.set(key.name, value);
  }

  /**
   * The value under `key`; throws when no module registered before the caller provided it.
   *
   * @example
   * const sandbox = ctx.provisions.use(SANDBOX_SERVICE);
   */
  use<T>(key: ProvisionKey<T>): T {
    if (!this.values.has(key.name)) throw new Error(`"${key.name}" is not provided: register the module that provides it before the one that uses it`);
    return this.values.get(key.name) as T;
  }

  /** The value under `key`, or undefined. */
  find<T>(key: ProvisionKey<T>): T | undefined {
    return this.values.get(key.name) as T | undefined;
  }
}
