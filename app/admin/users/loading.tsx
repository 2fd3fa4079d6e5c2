export { default } from "@/components/ui/route-loading";
