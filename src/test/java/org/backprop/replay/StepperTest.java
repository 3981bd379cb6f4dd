package org.backprop.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepperTest {

    @Test
    void enterGoesOnBGoesBackANumberJumpsAndQQuits() {
        Stepper s = new Stepper(0, 99);
        assertEquals(new Stepper.Show(1), s.apply(""));
        assertEquals(new Stepper.Show(2), s.apply("  "));
        assertEquals(new Stepper.Show(1), s.apply("b"));
        assertEquals(new Stepper.Show(42), s.apply("42"));
        assertEquals(new Stepper.Show(43), s.apply(""));
        assertEquals(new Stepper.Show(42), s.apply("B"));
        assertEquals(42, s.current());
        assertInstanceOf(Stepper.Quit.class, s.apply("q"));
        assertInstanceOf(Stepper.Quit.class, s.apply(null), "the end of input quits");
    }

    @Test
    void theEdgesOfTheRangeAndUnknownKeysOnlySaySomething() {
        Stepper s = new Stepper(10, 12);
        Stepper.Say back = assertInstanceOf(Stepper.Say.class, s.apply("b"));
        assertTrue(back.message().contains("epoch 10 is the first"), back.message());
        assertEquals(new Stepper.Show(12), s.apply("12"));
        Stepper.Say next = assertInstanceOf(Stepper.Say.class, s.apply(""));
        assertTrue(next.message().contains("epoch 12 is the last"), next.message());
        Stepper.Say far = assertInstanceOf(Stepper.Say.class, s.apply("500"));
        assertEquals("there is no epoch 500 here: give a number from 10 to 12", far.message());
        assertInstanceOf(Stepper.Say.class, s.apply("9"));
        assertInstanceOf(Stepper.Say.class, s.apply("next"));
        assertInstanceOf(Stepper.Say.class, s.apply("99999999999999"));
        assertEquals(12, s.current(), "nothing but a move changes the epoch");
    }

    @Test
    void onATerminalEachKeyMovesAtOnceAndDigitsWaitForEnter() {
        Stepper s = new Stepper(0, 99);
        assertEquals(new Stepper.Show(1), s.press('n'));
        assertEquals(new Stepper.Show(2), s.press(' '));
        assertEquals(new Stepper.Show(3), s.press(Stepper.NEXT));
        assertEquals(new Stepper.Show(2), s.press(Stepper.BACK));
        assertEquals(new Stepper.Show(1), s.press('b'));
        assertInstanceOf(Stepper.Typed.class, s.press('4'));
        assertInstanceOf(Stepper.Typed.class, s.press('7'));
        assertInstanceOf(Stepper.Typed.class, s.press((char) 127));
        assertInstanceOf(Stepper.Typed.class, s.press('2'));
        assertTrue(s.prompt().endsWith("> 42"), s.prompt());
        assertEquals(1, s.current(), "digits only jump with Enter");
        assertEquals(new Stepper.Show(42), s.press('\r'));
        assertTrue(s.prompt().endsWith("> "), s.prompt());
        assertEquals(new Stepper.Show(43), s.press('\n'));
        Stepper.Say unknown = assertInstanceOf(Stepper.Say.class, s.press('x'));
        assertTrue(unknown.message().startsWith("that key does nothing here"), unknown.message());
        assertInstanceOf(Stepper.Quit.class, s.press('q'));
        assertInstanceOf(Stepper.Quit.class, s.press((char) 4), "Ctrl-D quits");
    }
}
