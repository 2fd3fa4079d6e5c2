import { LoadingState } from "./loading";

/**
 * What a route segment shows while its page loads. Each section of a portal has its own
 * `loading.tsx` re-exporting this, and none sits above a segment that can answer "not found":
 * a loading boundary starts the response (200) before the page runs, and a page that calls
 * `notFound()` inside one can no longer answer 404. Segments whose layout checks access
 * (an API's pages) keep the boundary below that layout.
 */
export default function RouteLoading() {
  return <LoadingState />;
}
