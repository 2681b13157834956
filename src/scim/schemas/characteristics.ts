/** RFC 7643 §2.3 attribute data types. */
export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';

/** RFC 7643 §7 "mutability". */
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
/** RFC 7643 §7 "returned". */
export type Returned = 'always' | 'never' | 'default' | 'request';
/** RFC 7643 §7 "uniqueness". */
export type Uniqueness = 'none' | 'server' | 'global';

/** One attribute definition as RFC 7643 §7 describes it, plus Roster's own input limits. */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
  /** Roster input limit (not served by discovery): longest accepted string, in characters. */
  readonly maxLength?: number;
  /** Roster input limit (not served by discovery): most values of a multi-valued attribute. */
  readonly maxItems?: number;
}

/** A schema as RFC 7643 §7 describes it. */
export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

/** A resource type as RFC 7643 §6 describes it. */
export interface ResourceTypeDefinition {
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[];
}
