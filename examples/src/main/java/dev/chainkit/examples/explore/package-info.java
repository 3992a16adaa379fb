/**
 * The op-log sync as an explorer model ({@link dev.chainkit.examples.explore.OplogExploreModel}) and the files that
 * carry {@code chainsim explore}'s violations ({@link dev.chainkit.examples.explore.ViolationFile}).
 *
 * <p>Threading: used on one thread.
 */
package dev.chainkit.examples.explore;
