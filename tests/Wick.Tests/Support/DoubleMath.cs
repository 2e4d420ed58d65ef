using System;

namespace Wick.Tests;

/// <summary>
/// Float64 references for functions System.Math lacks (expm1, log1p, erf, erfc), accurate to far
/// better than a float32 ulp, written from their textbook definitions.
/// </summary>
public static class DoubleMath
{
    /// <summary>e^x - 1 without cancellation near 0 (Kahan: the rounding of e^x cancels in (u - 1) / log u).</summary>
    public static double Expm1(double x)
    {
        if (double.IsNaN(x) || double.IsPositiveInfinity(x)) return x;
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        if (um1 == -1) return -1;
        return double.IsInfinity(u) ? u : um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + x) without cancellation near 0 (Goldberg: log(u) x / (u - 1) with u = 1 + x rounded).</summary>
    public static double Log1p(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        if (double.IsInfinity(u) || u <= 0) return Math.Log(u);
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>The error function: its Taylor series below 0.5, 1 - erfc beyond.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x)) return Math.Sign(x);
        double a = Math.Abs(x);
        if (a >= 0.5) return Math.Sign(x) * (1 - Erfc(a));
        // erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1))
        double term = a, sum = a;
        for (int n = 1; n < 200; n++)
        {
            term *= -a * a / n;
            double t = term / (2 * n + 1);
            sum += t;
            if (Math.Abs(t) < 1e-18 * Math.Abs(sum)) break;
        }
        return Math.Sign(x) * sum * 2 / Math.Sqrt(Math.PI);
    }

    /// <summary>The complementary error function, relatively accurate far into the tail (continued fraction).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsPositiveInfinity(x)) return 0;
        if (x < 0.5) return 1 - Erf(x);
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), by Lentz's method.
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 5000; n++)
        {
            double an = n / 2.0;
            d = x + an * d;
            if (d == 0) d = tiny;
            c = x + an / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>1 / (1 + e^-x), without overflow for large |x|.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
}
