package org.backprop.launcher;

/** The program of the launcher test's stand-in jar. */
public final class Greeting {
    private Greeting() {
    }

    public static void main(String[] args) {
        System.out.println("hello " + String.join(" ", args));
    }
}
