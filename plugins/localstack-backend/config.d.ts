export interface Config {
  kubemate?: {
    devStack?: {
      /**
       * The local dev stack's progress file (progress.json, written by `deploy/dev/stack.sh`),
       * set by the dev overlay next to `stateFile`. Unset in production: the Local stack page then
       * says this portal has no local stack. Without it the backend falls back to the environment
       * variable KUBEMATE_DEV_STACK_PROGRESS (set by `./kubemate start`).
       */
      progressFile?: string;
      /**
       * Directories whose files the Local stack page may show as a server's log (default: the
       * progress file's directory — the stack's state — and the stack's cache logs,
       * `$KUBEMATE_CACHE/logs`, else `~/.cache/kubemate/logs`). A log path outside them is refused.
       */
      logDirs?: string[];
    };
  };
}
