export interface Config {
  auth?: {
    providers?: {
      /** Development-only demo sign-in, keyed by auth environment (see the backend's demo provider). */
      demo?: {
        [authEnvironment: string]: {
          /**
           * Names of catalog User entities a person may sign in as; the sign-in page lists them.
           * @visibility frontend
           */
          users: string[];
        };
      };
    };
  };
}
