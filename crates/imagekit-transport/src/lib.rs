//! The HTTP seam of the ImageKit.io SDK: a small object-safe async `HttpClient`
//! trait that the SDK calls for every request, a streaming body type, a transport
//! error shaped for retry policies, a production hyper + rustls client and test
//! transports.
