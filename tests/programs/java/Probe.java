/* A Java program exercising what HotSpot asks of Windows: threads of a pool, implicit null
   checks and other faults turned into exceptions (SEH), a stack overflow caught through the
   guard pages of the thread's stack, files, the garbage collector, formatting and an exit
   code. */
import java.util.*;
import java.util.concurrent.*;
import java.nio.file.*;

public class Probe {
    static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }
    public static void main(String[] args) throws Exception {
        System.out.println("args " + Arrays.toString(args));
        Map<String, Integer> counts = new TreeMap<>();
        for (String w : "the quick brown fox jumps over the lazy dog the end".split(" "))
            counts.merge(w, 1, Integer::sum);
        System.out.println(counts);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Long>> parts = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            final int k = t;
            parts.add(pool.submit(() -> { long s = 0; for (int i = k; i < 3_000_000; i += 3) s += i; return s; }));
        }
        long total = 0;
        for (Future<Long> f : parts) total += f.get();
        pool.shutdown();
        System.out.println("threads sum " + total);
        try { Object o = null; o.hashCode(); } catch (NullPointerException e) { System.out.println("caught NPE"); }
        try { int[] a = new int[2]; a[5] = 1; } catch (ArrayIndexOutOfBoundsException e) { System.out.println("caught " + e.getMessage()); }
        try { System.out.println(10 / (args.length - args.length)); } catch (ArithmeticException e) { System.out.println("caught " + e.getMessage()); }
        try { depth(1_000_000); } catch (StackOverflowError e) { System.out.println("caught stack overflow"); }
        Path p = Paths.get("out.txt");
        Files.writeString(p, "line one\nline two\n");
        System.out.println(Files.readAllLines(p));
        List<byte[]> junk = new ArrayList<>();
        for (int i = 0; i < 200; i++) { junk.add(new byte[1 << 20]); if (junk.size() > 20) junk.remove(0); }
        System.gc();
        System.out.println("gc ok " + junk.size());
        System.out.println(String.format("%.3f %08x %s", Math.PI, 48879, System.getProperty("os.name")));
        System.exit(3);
    }
}
