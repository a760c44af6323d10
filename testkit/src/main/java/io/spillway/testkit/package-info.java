/** Test support shared by Spillway's modules; a test-scope dependency only. */
package io.spillway.testkit;
