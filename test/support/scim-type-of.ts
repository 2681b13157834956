import { ScimError } from '../../src/scim/errors.js';

/** The scimType of the ScimError `run` throws (undefined if it throws none); other errors propagate. */
export function scimTypeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error.scimType;
    throw error;
  }
  return undefined;
}
