// `dvx init`'s closing message, as DVC words it.
export const initText = (scm: boolean): string =>
  "Initialized DVC repository.\n" +
  (scm ? '\nYou can now commit the changes to git:\n\n\tgit commit -m "Initialize DVC"\n' : "");
