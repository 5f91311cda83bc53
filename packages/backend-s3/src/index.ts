export { AWSS3Backend, type AWSS3BackendOptions } from "./aws-s3-backend.js";
