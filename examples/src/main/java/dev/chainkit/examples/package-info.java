/** placeholder */
package dev.chainkit.examples;
