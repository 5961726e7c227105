import { Fragment, ReactNode } from 'react';

const MARK = '\u0001';

/** The placeholder value that {@link rich} replaces by an element. */
export const slot = (name: string) => `${MARK}${name}${MARK}`;

/**
 * A translated sentence with elements in it: translate with `slot('name')` as the value of the
 * placeholders that are elements, then replace each slot by its element here (the sentence stays
 * one message, in the language's word order).
 */
export function rich(text: string, elements: Record<string, ReactNode>) {
  const parts = text.split(new RegExp(`${MARK}(\\w+)${MARK}`));
  return (
    <>
      {parts.map((part, i) =>
        i % 2 ? (
          <Fragment key={i}>{elements[part]}</Fragment>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
