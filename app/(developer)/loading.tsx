import { LoadingState } from "@/components/ui/loading";

// Inside the portal layout, so that its authorization check runs before anything streams.
export default function Loading() {
  return <LoadingState />;
}
