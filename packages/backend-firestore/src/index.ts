export { FirestoreBackend, type FirestoreBackendOptions } from "./firestore-backend.js";
