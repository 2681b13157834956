/** A group as a User's `groups` attribute and effective roles see it. */
export interface GroupRef {
  readonly id: string;
  readonly displayName: string;
  readonly roleKey: string;
}
