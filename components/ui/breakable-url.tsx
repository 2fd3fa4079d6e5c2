import { Fragment } from "react";
import { urlBreaks } from "./url-breaks";

/** A URL that wraps at its slashes and dots on narrow screens instead of mid-word or off screen. */
export function BreakableUrl({ url }: { url: string }) {
  return (
    <>
      {urlBreaks(url).map((piece, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {piece}
        </Fragment>
      ))}
    </>
  );
}
