import { BuilderError } from '../builder-error.js';

// BPMN ids are xsd:ID values, i.e. XML NCNames; Zeebe and the Modeler both expect them.
const NC_NAME = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;

/**
 * The ids used anywhere in one set of definitions: BPMN requires them unique document-wide, across
 * nested scopes too, so every scope builder of a process shares one registry.
 */
export class IdRegistry {
  private readonly taken = new Map<string, string>();

  /** Claims `id` for an element described as `what` ("service task"); throws if taken or malformed. */
  reserve(id: string, what: string): void {
    this.check(id, what);
    this.taken.set(id, what);
  }

  /** Throws if `id` could not be reserved, without reserving it. */
  check(id: string, what: string): void {
    if (typeof id !== 'string' || !NC_NAME.test(id)) {
      throw new BuilderError(
        `invalid id ${typeof id === 'string' ? `'${id}'` : String(id)} for a ${what}: ids must start with a letter or '_' ` +
          `and contain only letters, digits, '_', '-' and '.'`,
        typeof id === 'string' ? id : undefined,
      );
    }
    const owner = this.taken.get(id);
    if (owner !== undefined) {
      throw new BuilderError(`duplicate id '${id}': already used by a ${owner}`, id);
    }
  }

  has(id: string): boolean {
    return this.taken.has(id);
  }

  /** The first free id of the form `${prefix}_${n}`, for elements the caller did not name. */
  generate(prefix: string): string {
    for (let n = 1; ; n++) {
      const id = `${prefix}_${n}`;
      if (!this.has(id)) return id;
    }
  }
}
