/**
 * Who a client is and what it may do, decided in one place for both ports: {@link
 * io.spillway.server.auth.Authenticator} checks passwords ({@code requirepass} for the {@code default} user, the
 * ACL users of {@code acl-users}, HTTP bearer tokens or Basic credentials) and slows failed attempts per address;
 * {@link io.spillway.server.auth.AclUser} holds a user's channel patterns; {@link
 * io.spillway.server.auth.Permissions} is the check the RESP commands, the HTTP router and the WebSocket handler call
 * before a publish or a subscribe.
 */
package io.spillway.server.auth;
