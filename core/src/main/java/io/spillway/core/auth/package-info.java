/**
 * Authentication policy without Netty: how failed password attempts from one address are slowed
 * ({@link io.spillway.core.auth.FailedAuthThrottle}). The server's {@code auth} package decides who a client is and
 * what it may do; the RESP commands and the HTTP router enforce it.
 */
package io.spillway.core.auth;
