import { useCallback, useEffect, useState } from 'react';

/** How long the views keep re-reading after an action (Flagger reacts at its next check). */
export const FOLLOW_MS = 120_000;

/**
 * Whether the views follow a release closely because an action was just made: `follow` is true
 * for {@link FOLLOW_MS} after `startFollowing()`.
 */
export function useFollow() {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const follow = until > now;
  useEffect(() => {
    if (!follow) return undefined;
    const t = setTimeout(() => setNow(Date.now()), until - now);
    return () => clearTimeout(t);
  }, [follow, until, now]);
  const startFollowing = useCallback(() => {
    const t = Date.now();
    setNow(t);
    setUntil(t + FOLLOW_MS);
  }, []);
  return { follow, startFollowing };
}
