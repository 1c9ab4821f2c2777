C     Running statistics of the values the host reads. The count and sums
C     live in the COMMON block STATE, so they outlive every call; BLOCK
C     DATA gives them their first values (f2c -E: the other units only
C     declare STATE, as C without common symbols needs).
      SUBROUTINE ADDVAL(X)
      DOUBLE PRECISION X
      INTEGER N
      DOUBLE PRECISION S, SQ
      COMMON /STATE/ S, SQ, N
      N = N + 1
      S = S + X
      SQ = SQ + X * X
      END

      DOUBLE PRECISION FUNCTION AVG()
      INTEGER N
      DOUBLE PRECISION S, SQ
      COMMON /STATE/ S, SQ, N
      IF (N .EQ. 0) THEN
         AVG = 0
      ELSE
         AVG = S / N
      END IF
      END

      INTEGER FUNCTION COUNT()
      INTEGER N
      DOUBLE PRECISION S, SQ
      COMMON /STATE/ S, SQ, N
      COUNT = N
      END

      BLOCK DATA INIT
      INTEGER N
      DOUBLE PRECISION S, SQ
      COMMON /STATE/ S, SQ, N
      DATA S, SQ, N /0.0D0, 0.0D0, 0/
      END
