// The byte helpers live with the lab's scripted TLS servers, which answer with the same ServerHellos.
export { parseClientHello, record, serverHello } from '../../../src/lab/tls-records.js';
