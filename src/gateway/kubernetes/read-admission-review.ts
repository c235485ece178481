import { admissionError } from "./admission-errors.js";

/** One container image of the workload's pod template. */
export interface ContainerImage {
  /** `containers/web`, `initContainers/migrate`, `ephemeralContainers/debug`. */
  container: string;
  /** As written; "" when the container names none. */
  image: string;
}

/** What an AdmissionReview v1 asks, reduced to what the webhook decides on. */
export interface AdmissionRequest {
  uid: string;
  /** Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, … */
  kind: string;
  namespace: string;
  name: string;
  operation: string;
  /** Every container, init container and ephemeral container image; null for a kind with no pod template leash knows. */
  images: ContainerImage[] | null;
}

const CONTAINER_FIELDS = ["containers", "initContainers", "ephemeralContainers"] as const;

/** Where each kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  PodTemplate: ["template", "spec"],
};

/**
 * Reads an AdmissionReview v1 (`admission.k8s.io/v1`) into the request the webhook decides:
 * uid, kind, namespace, name, operation and the images of every container of the pod spec.
 * Throws ERR_ADMISSION_MALFORMED when it is not an AdmissionReview v1 with a request uid.
 */
export function readAdmissionReview(value: unknown): AdmissionRequest {
  if (!isRecord(value) || value["apiVersion"] !== "admission.k8s.io/v1") {
    throw malformed("the body is not an AdmissionReview of admission.k8s.io/v1");
  }
  if (value["kind"] !== "AdmissionReview") throw malformed("kind must be AdmissionReview");
  const req = value["request"];
  if (!isRecord(req) || typeof req["uid"] !== "string" || req["uid"] === "") {
    throw malformed("request.uid is missing");
  }
  const kind = isRecord(req["kind"]) ? text(req["kind"]["kind"]) : "";
  const object = req["object"];
  const metadata = isRecord(object) && isRecord(object["metadata"]) ? object["metadata"] : {};
  return {
    uid: req["uid"],
    kind,
    namespace: text(req["namespace"]) || text(metadata["namespace"]),
    name: text(req["name"]) || text(metadata["name"]) || text(metadata["generateName"]),
    operation: text(req["operation"]),
    images: readImages(kind, object),
  };
}

function readImages(kind: string, object: unknown): ContainerImage[] | null {
  const path = POD_SPEC_PATHS[kind];
  if (!path) return null;
  let spec: unknown = object;
  for (const key of path) spec = isRecord(spec) ? spec[key] : undefined;
  if (!isRecord(spec)) return null;
  const images: ContainerImage[] = [];
  for (const field of CONTAINER_FIELDS) {
    const list = spec[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw malformed(`${field} is not a list`);
    for (const c of list as unknown[]) {
      const container = isRecord(c) ? c : {};
      images.push({
        container: `${field}/${text(container["name"])}`,
        image: text(container["image"]),
      });
    }
  }
  return images;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function malformed(message: string) {
  return admissionError("ERR_ADMISSION_MALFORMED", `admission_review_malformed: ${message}`);
}
