/**
 * JMH benchmarks of Spillway's hot paths. Run: {@code mvn -B -q -pl microbench -am package -DskipTests && java -cp
 * "microbench/target/spillway-microbench.jar:microbench/target/lib/*" org.openjdk.jmh.Main}.
 */
package io.spillway.microbench;
