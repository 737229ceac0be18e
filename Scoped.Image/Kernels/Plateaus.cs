using System.Numerics;
using System.Runtime.CompilerServices;

namespace Scoped.Image.Kernels;

/// <summary>
/// Regional maxima as scikit-image's local_maxima finds them: connected plateaus of equal value (neighbours given as
/// flat offsets on a padded grid) whose every neighbour outside the plateau is lower, and that do not touch the
/// margin. Candidates are first found along the last axis (a run of equal values with a lower value at each end), as
/// scikit-image does, then each candidate's plateau is flooded once.
/// </summary>
internal static class Plateaus
{
    /// <summary>Flag: not a maximum (or not yet looked at).</summary>
    public const byte NotMaximum = 0;

    /// <summary>Flag: on a plateau being flooded, or on a maximum once flooded.</summary>
    public const byte Maximum = 1;

    private const byte Candidate = 2;

    /// <summary>Flag: the margin (or the image's own edge where plateaus may not touch it).</summary>
    public const byte Border = 3;

    /// <summary>Sets <paramref name="flags"/> (Border on the margin, NotMaximum elsewhere on entry) to Maximum on every
    /// element of a regional maximum of <paramref name="image"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Maxima<T>(T[] image, byte[] flags, int[] offsets) where T : INumber<T>
    {
        if (Array.IndexOf(offsets, -1) >= 0 && Array.IndexOf(offsets, 1) >= 0) MarkRuns(image, flags);
        else for (int i = 1; i < flags.Length; i++) if (flags[i] != Border) flags[i] = Candidate;
        var plateau = new List<int>();
        for (int i = 0; i < image.Length; i++)
            if (flags[i] == Candidate) Flood(image, flags, offsets, plateau, i);
    }

    /// <summary>Marks as candidates the runs along the last axis that are higher than the element before and after them.</summary>
    private static void MarkRuns<T>(T[] image, byte[] flags) where T : INumber<T>
    {
        int i = 1;
        while (i < image.Length)
        {
            if (image[i - 1] < image[i] && flags[i] != Border)
            {
                int ahead = i + 1;
                while (image[i] == image[ahead] && flags[ahead] != Border) ahead++;
                if (image[i] > image[ahead]) flags.AsSpan(i, ahead - i).Fill(Candidate);
                i = ahead;
            }
            else i++;
        }
    }

    /// <summary>Floods the plateau of <paramref name="start"/>; it stays Maximum unless a neighbour is higher or it
    /// touches the border, then every element flooded goes back to NotMaximum.</summary>
    private static void Flood<T>(T[] image, byte[] flags, int[] offsets, List<int> plateau, int start) where T : INumber<T>
    {
        T height = image[start];
        bool maximum = true;
        plateau.Clear();
        plateau.Add(start);
        flags[start] = Maximum;
        for (int next = 0; next < plateau.Count; next++)
        {
            int p = plateau[next];
            foreach (var o in offsets)
            {
                int q = p + o;
                if (image[q] == height)
                {
                    if (flags[q] == Border) maximum = false;
                    else if (flags[q] != Maximum)
                    {
                        flags[q] = Maximum;
                        plateau.Add(q);
                    }
                }
                else if (image[q] > height) maximum = false;
            }
        }
        if (!maximum) foreach (var p in plateau) flags[p] = NotMaximum;
    }
}
