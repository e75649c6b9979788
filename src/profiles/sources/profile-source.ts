/** Where profiles come from: a local directory or a git repository (the contract). */

export interface StagedProfiles {
  /** directory holding the staged profile set */
  dir: string;
  /** what was staged: a commit id, or a content digest for a directory */
  version: string;
}

export interface ProfileSource {
  /** for messages and events: "git https://…@main", "dir /srv/profiles" */
  readonly description: string;
  /** Copies the current profile set into `into` (an empty directory the store made). */
  stage(into: string): Promise<StagedProfiles>;
}
