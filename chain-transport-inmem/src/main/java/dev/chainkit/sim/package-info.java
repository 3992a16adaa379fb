/** placeholder */
package dev.chainkit.sim;
