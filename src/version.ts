/** The package version; a test keeps it equal to package.json. Part of the policy cache key. */
export const VERSION = '0.1.0';
