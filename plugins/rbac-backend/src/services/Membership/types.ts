/**
 * Users, groups and group nesting from the catalog. A user is a member of a group when the
 * catalog says so directly, or through any ancestor group.
 */
export interface Membership {
  /**
   * The groups of a user, nested groups resolved; `ownershipRefs` (from the sign-in) are added to
   * what the catalog says.
   */
  groupsOf(userRef: string, ownershipRefs?: string[]): Promise<string[]>;
  /** The catalog's ownership claims of a user: the user and its direct groups. */
  claimsOf(userRef: string): Promise<string[]>;
  /** All users of the catalog. */
  users(options?: { fresh?: boolean }): Promise<string[]>;
  /** The users that member refs (users and groups, nested) stand for. */
  usersOf(members: string[], options?: { fresh?: boolean }): Promise<string[]>;
}
